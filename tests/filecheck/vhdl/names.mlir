// RUN: fpga-opt %s -t vhdl | filecheck %s

// Verilog names that VHDL does not take: reserved words, leading, trailing and double
// underscores, and names equal but for case.  Each becomes a legal, unique identifier;
// a renamed port says its rtl name in its comment.
rtl.module @entity(%signal: i4 fixed<0,4,0>, %_x__y_: i4 fixed<0,4,0>, %A: i4 fixed<0,4,0>, %a: i4 fixed<0,4,0>) -> (out: i4 fixed<0,4,0>) clock "_clk" {
  %__t = rtl.add %signal, %_x__y_ : i4
  %x_y = rtl.sub %A, %a : i4
  %resize = rtl.add %__t, %x_y : i4
  %q = rtl.reg %resize : i4
  rtl.output %q : i4
}

// CHECK:      entity entity_v is
// CHECK-NEXT:   port (
// CHECK-NEXT:     clk : in  std_logic;                         -- clock (rtl port '_clk')
// CHECK-NEXT:     signal_v : in  std_logic_vector(3 downto 0); -- fixed<0,4,0> (rtl port 'signal')
// CHECK-NEXT:     x_y : in  std_logic_vector(3 downto 0);      -- fixed<0,4,0> (rtl port '_x__y_')
// CHECK-NEXT:     A : in  std_logic_vector(3 downto 0);        -- fixed<0,4,0>
// CHECK-NEXT:     a_2 : in  std_logic_vector(3 downto 0);      -- fixed<0,4,0> (rtl port 'a')
// CHECK-NEXT:     out_v : out std_logic_vector(3 downto 0)     -- fixed<0,4,0> (rtl port 'out')
// CHECK-NEXT:   );
// CHECK-NEXT: end entity entity_v;
// CHECK:        signal t : unsigned(3 downto 0);
// CHECK-NEXT:   signal x_y_2 : unsigned(3 downto 0);
// CHECK-NEXT:   signal resize_v : unsigned(3 downto 0);
// CHECK-NEXT:   signal q : unsigned(3 downto 0) := (others => '0');
// CHECK:        t <= signal_v_in + x_y_in;
// CHECK-NEXT:   x_y_2 <= A_in - a_2_in;
// CHECK-NEXT:   resize_v <= t + x_y_2;
// CHECK-NEXT:   out_v <= std_logic_vector(q);
// CHECK-NEXT:   registers : process (clk)
// CHECK-NEXT:   begin
// CHECK-NEXT:     if rising_edge(clk) then
// CHECK-NEXT:       q <= resize_v;
